"""The demo: the example regency on local servers, scanned once (``netral demo``)."""
