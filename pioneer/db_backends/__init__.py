"""Database backends of our own: Django's, with what measurement showed worth changing."""
