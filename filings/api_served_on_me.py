"""Documents OCC served on the attorney, in the API."""
