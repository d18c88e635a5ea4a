"""ARM template evaluation: expression language, functions, expansion into resources."""
