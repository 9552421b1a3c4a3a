"""ipner's spaCy pipeline: tokenizer, rule baseline, relation linking and fact assembly."""
