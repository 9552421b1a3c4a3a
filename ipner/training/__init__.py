"""Training, evaluation and fine-tuning of ipner's pipelines on the gold corpus."""
