"""The core every command shares: errors, decoding, the article reader, the body split, the
Document transformers work on, the pipeline, the fidelity guard, configuration and the one
plugin loader."""
