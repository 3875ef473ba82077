"""Geography: official unit lists, boundary layers, crosswalk between geo versions."""
