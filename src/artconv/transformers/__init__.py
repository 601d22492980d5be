"""Built-in transformers, one module each, named after the transformer's id."""
