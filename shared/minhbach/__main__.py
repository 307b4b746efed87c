from minhbach.cli import app

app()
