// Runs Amazon's DynamoDB Local listening on loopback only (issue 24.6).
//
// DynamoDB Local's own main (software.amazon.dynamodb.services.local.main.ServerRunner) builds a Jetty server
// with `new Server(port)`, which listens on every interface, and it has no option for the address. This
// launcher makes the same server from the same command line (ServerRunner.createServerFromCommandLineArgs),
// sets its connector's host before it starts, and starts it. It is run as a single-file source program
// (`java -cp DynamoDBLocal.jar local/DynamoDBLocalLoopback.java -port … -sharedDb …`, Java 11+, no build
// step) by local/dynamo-local-process.mjs. Everything is reached by reflection, so it compiles without the
// jar. If the jar's insides change, it stops with an error: it never falls back to every interface.
//
// Telemetry: unlike ServerRunner.main, this never configures DynamoDB Local's telemetry, so none is sent.
import java.lang.reflect.Field;
import java.lang.reflect.Method;

public class DynamoDBLocalLoopback {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("breachclock.dynamodb.host", "127.0.0.1");
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's server has no connector to bind to " + host);
    for (Object connector : connectors) connector.getClass().getMethod("setHost", String.class).invoke(connector, host);
    // safeStart: Jetty's start, which throws when the port cannot be bound (start() would print and go on).
    proxy.getClass().getMethod("safeStart").invoke(proxy);
    for (Object connector : connectors) {
      Method getHost = connector.getClass().getMethod("getHost");
      Method getLocalPort = connector.getClass().getMethod("getLocalPort");
      Object bound = getHost.invoke(connector);
      int port = (Integer) getLocalPort.invoke(connector);
      if (!host.equals(bound) || port <= 0) {
        System.err.println("DynamoDB Local did not listen on " + host + " (host " + bound + ", port " + port + "): stopping");
        System.exit(1);
      }
      System.out.println("DynamoDB Local listening on " + bound + ":" + port + " only");
    }
  }
}
