"""Graders: an extracted answer and a gold answer in, a verdict out."""
