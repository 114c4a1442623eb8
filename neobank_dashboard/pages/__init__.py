"""One module per page, composed from components."""
