from llmkg.cli import run

run()
