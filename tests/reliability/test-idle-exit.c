/* test-idle-exit.c: the engine exits when idle and on SIGTERM, and a call brings it back
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Crash and restart". This test's bus (session-activation.conf) starts the
 * engine on a call, as the session bus does, with HANGAR_ENGINE_IDLE_TIMEOUT=2 in the
 * activation environment. Every call goes on a private connection the test closes, so
 * the test itself is no client once it has closed it:
 *  - a call starts the engine; a machine started, the client gone, the engine stays
 *    (a machine runs) past twice the timeout;
 *  - SIGTERM ends it; the machine's QEMU runs on; a call starts it again, which finds
 *    the machine running with the same QEMU;
 *  - stopped, the engine stays while a client is connected; once the client has gone it
 *    exits by itself after the timeout; a call starts it again and the machine is there.
 * Prints the VMs lost (QEMUs an exit ended) and how long the idle engine took to go.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>

#include "hangar-test-engine.h"

#define IDLE_TIMEOUT_S 2
#define HOST_PATH ENGINE_OBJECT_PATH "/host"
#define HOST_IFACE "io.github.hangarvm.Hangar.Host1"
#define MACHINE_IFACE "io.github.hangarvm.Hangar.Machine1"

typedef HangarTestEngine Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GVariantBuilder) env = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));

  /* The fixture's own engine goes: from now on the bus starts them. */
  hangar_test_engine_setup (fixture);
  hangar_test_engine_stop (fixture, SIGTERM);

  g_variant_builder_add (&env, "{ss}", "XDG_CONFIG_HOME", fixture->config_dir);
  g_variant_builder_add (&env, "{ss}", "XDG_RUNTIME_DIR", fixture->runtime_dir);
  g_variant_builder_add (&env, "{ss}", "XDG_DATA_HOME", fixture->data_dir);
  g_variant_builder_add (&env, "{ss}", "HANGAR_ACCEL", "tcg");
  g_variant_builder_add (&env, "{ss}", "HANGAR_ENGINE_IDLE_TIMEOUT", G_STRINGIFY (IDLE_TIMEOUT_S));
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", &env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

static GDBusConnection *
connect_client (void)
{
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GDBusConnection *client;

  client = g_dbus_connection_new_for_address_sync (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  return client;
}

static void
disconnect_client (GDBusConnection *client)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_close_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (client);
}

/* A call that may start the engine. */
static GVariant *
call (GDBusConnection *client,
      const char      *path,
      const char      *iface,
      const char      *method,
      GVariant        *args)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (client, ENGINE_BUS_NAME, path, iface, method, args, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 30000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static GVariant *
property (GDBusConnection *client,
          const char      *path,
          const char      *name)
{
  g_autoptr(GVariant) reply = call (client, path, "org.freedesktop.DBus.Properties", "Get",
                                    g_variant_new ("(ss)", MACHINE_IFACE, name));
  GVariant *value;

  g_variant_get (reply, "(v)", &value);
  return value;
}

static void
wait_state (GDBusConnection *client,
            const char      *path,
            const char      *state)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GVariant) value = property (client, path, "State");

      if (g_str_equal (g_variant_get_string (value, NULL), state))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* Whether the engine's name is owned, asked of the bus (the engine never sees it). */
static gboolean
engine_present (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", ENGINE_BUS_NAME), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

static GPid
engine_pid (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", ENGINE_BUS_NAME), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(u)", &pid);
  return (GPid) pid;
}

/* Waits until the engine has gone; returns how long it took, in seconds. */
static double
wait_engine_gone (guint timeout_s)
{
  gint64 began = g_get_monotonic_time ();

  while (engine_present ())
    {
      if (g_get_monotonic_time () - began > timeout_s * G_USEC_PER_SEC)
        g_error ("The engine is still there after %u s", timeout_s);
      g_usleep (20000);
    }
  return (g_get_monotonic_time () - began) / 1e6;
}

/* Whether the engine is still there after @seconds of nothing. */
static gboolean
engine_stays (guint seconds)
{
  g_usleep (seconds * G_USEC_PER_SEC);
  return engine_present ();
}

static void
test_idle_exit (Fixture       *fixture,
                gconstpointer  data)
{
  const char *xml =
    "<domain type='kvm'><name>stays</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
    "<devices><serial type='pty'/></devices></domain>";
  GDBusConnection *client;
  g_autoptr(GVariant) defined = NULL;
  g_autoptr(GVariant) pid_value = NULL;
  g_autofree char *path = NULL;
  guint vms_lost = 0;
  gboolean stayed_running, stayed_client;
  double idle_exit_s, second_exit_s;
  GPid qemu;

  g_assert_false (engine_present ());

  /* A call starts the engine; a running machine keeps it with no client. */
  client = connect_client ();
  defined = call (client, HOST_PATH, HOST_IFACE, "DefineMachine", g_variant_new ("(s)", xml));
  g_variant_get (defined, "(o)", &path);
  g_variant_unref (call (client, path, MACHINE_IFACE, "Start", NULL));
  wait_state (client, path, "running");
  pid_value = property (client, path, "Pid");
  qemu = (GPid) g_variant_get_uint32 (pid_value);
  disconnect_client (client);
  stayed_running = engine_stays (2 * IDLE_TIMEOUT_S + 1);
  g_assert_true (stayed_running);

  /* SIGTERM: the engine goes, QEMU stays, a call brings the engine back to it. */
  g_assert_cmpint (kill (engine_pid (), SIGTERM), ==, 0);
  wait_engine_gone (20);
  vms_lost += !hangar_test_pid_alive (qemu);
  client = connect_client ();
  g_variant_unref (call (client, HOST_PATH, HOST_IFACE, "LookupMachine",
                         g_variant_new ("(s)", "stays")));
  wait_state (client, path, "running");
  {
    g_autoptr(GVariant) again = property (client, path, "Pid");
    vms_lost += g_variant_get_uint32 (again) != (guint32) qemu;
  }

  /* Stopped, the engine stays while a client is there, and goes after it. */
  g_variant_unref (call (client, path, MACHINE_IFACE, "ForceOff", NULL));
  wait_state (client, path, "shut-off");
  stayed_client = engine_stays (2 * IDLE_TIMEOUT_S + 1);
  g_assert_true (stayed_client);
  disconnect_client (client);
  idle_exit_s = wait_engine_gone (30);

  /* And back again, with the machine. */
  client = connect_client ();
  g_variant_unref (call (client, HOST_PATH, HOST_IFACE, "LookupMachine",
                         g_variant_new ("(s)", "stays")));
  disconnect_client (client);
  second_exit_s = wait_engine_gone (30);

  g_test_message ("VMs lost: %u (QEMU %d ran through SIGTERM and a restart by activation); "
                  "with a machine running and no client the engine stayed: %s; with a client "
                  "and nothing running: %s; idle with no client it exited %.1f s and %.1f s "
                  "after the last client left (timeout %u s)", vms_lost, qemu,
                  stayed_running ? "yes" : "no", stayed_client ? "yes" : "no", idle_exit_s,
                  second_exit_s, IDLE_TIMEOUT_S);
  g_assert_cmpuint (vms_lost, ==, 0);
  g_assert_cmpfloat (idle_exit_s, >=, IDLE_TIMEOUT_S - 0.5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/idle-exit", Fixture, NULL, setup, test_idle_exit, teardown);
  return g_test_run ();
}
