// Each test class owns a factory (its own host and database); classes run in parallel, tests within a class in order.
[assembly: CaptureConsole]
