"""The rule engine: rule records (rules/*.yaml), declarative schema rules, and the Python checks registry."""
