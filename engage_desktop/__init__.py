"""Engage Desktop: is anyone really talking to our Facebook Pages?"""

__version__ = "0.1.0"
APP_NAME = "Engage Desktop"
