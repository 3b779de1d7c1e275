"""Inputs: the model file's schema and loading, the catalogue, and the hourly profiles.

Nothing here optimises or prices anything: a scenario and its profiles are plain data
that the model, the economics and the workflows consume.
"""
