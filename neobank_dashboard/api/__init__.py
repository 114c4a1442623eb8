"""The FastAPI app: thin routers over the services. Mounted in Reflex and standalone."""
