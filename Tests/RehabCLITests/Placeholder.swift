import Testing

@Test func rehabWithoutArgumentsPrintsUsage() throws {
    let result = try runRehab(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("USAGE: rehab"))
}
