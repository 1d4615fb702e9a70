#!/bin/sh
# Helps users instrument dotnet code (stand-in).
exec "$@"
