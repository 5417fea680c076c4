"""The `tracker` commands, one module per area; `tracker.cli` assembles them."""
