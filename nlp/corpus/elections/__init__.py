"""Election files of the training corpus (invented elections)."""
