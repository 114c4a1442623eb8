"""The domain: plain functions over a Session. The only place business rules live."""
