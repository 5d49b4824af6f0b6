"""Posecode records -> sentences."""
