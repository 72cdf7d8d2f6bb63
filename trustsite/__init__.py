"""Build each NHS Trust's branded copy of 'Best Patient Care, Clinical Research and You'."""
