"""Progress of a plan: ledgers collected into a progress file, figures, the 通报 and 督办 notices."""
