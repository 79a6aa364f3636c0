"""The API's OpenAPI 3.1 description."""
