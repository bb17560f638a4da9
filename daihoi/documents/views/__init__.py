"""Pages of the document register (thin: forms in, services do the work)."""
