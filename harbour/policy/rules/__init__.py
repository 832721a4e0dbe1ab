"""Policy as code, pure Python: the configuration schema and its YAML files, the rules engine.

Nothing here imports Django or another harbour package (GOV-24)."""
