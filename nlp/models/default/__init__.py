"""The default model trained on nlp/corpus; loaded by nlp.artefacts.load_default_model()."""
