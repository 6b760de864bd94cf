"""moshz benchmarks: ``python3 -m bench`` (``make bench``). Speed lives here, not in the tests."""
