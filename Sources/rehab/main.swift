import RehabCLI

Rehab.main()
