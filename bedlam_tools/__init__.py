"""Datasets: sources, selection, annotation, shards."""
