"""Charts and maps: data in, plotly figure out, one shared style."""
