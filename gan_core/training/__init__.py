"""Training: configs, trainers, background runs, the job pool and recipes (owner: lead)."""
