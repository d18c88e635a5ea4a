"""Python checks for relations a schema cannot express. Every module here is imported by the registry."""
