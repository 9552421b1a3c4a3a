"""Training, evaluation and fine-tuning of ipner's pipelines on the gold corpus (import the modules themselves)."""

__all__: list[str] = []
