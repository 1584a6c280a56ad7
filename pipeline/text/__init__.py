"""Text repair and tokens: layout repair with an offset map, fugashi tokens in a spaCy Doc."""
