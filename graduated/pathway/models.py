"""Models of the pathway app."""
