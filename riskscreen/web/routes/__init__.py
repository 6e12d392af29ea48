"""One router module per area of the service."""
