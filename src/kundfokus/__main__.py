from kundfokus.cli import main

main()
