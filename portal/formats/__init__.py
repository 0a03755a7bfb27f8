"""Date and number formats where Django's own are missing (FORMAT_MODULE_PATH): one package per language."""
