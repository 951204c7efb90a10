/* test-concurrency.c: four clients race each other on the same machines
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Concurrency and load", on four connections of their own, all calls sent
 * before any reply is read:
 *  - each client starts and stops five of 20 machines, all at once;
 *  - all four define a new machine of the same name: exactly one wins, three get
 *    AlreadyExists;
 *  - all four define the same new UUID under four names: define means "create or
 *    replace", so all succeed, one after the other: one machine object, its file whole,
 *    its name one of the four and the same in the file and on the bus;
 *  - on one running machine, at once: ForceOff, Delete, Shutdown, UpdateConfig; then on
 *    the stopped one: Start, Delete, Start, Delete. The engine takes them one at a time:
 *    the losers get a named error, and no machine is deleted with its QEMU running or
 *    started once deleted.
 * (The engine has no snapshots yet: the races use what it has.) Each race runs 20
 * rounds. Prints the operations per second and the inconsistencies found.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include "hangar-test-engine.h"
#include "reliability-common.h"

#define CLIENTS 4
#define MACHINES 20
#define ROUNDS 20
#define HOST_PATH ENGINE_OBJECT_PATH "/host"
#define HOST_IFACE "io.github.hangarvm.Hangar.Host1"
#define MACHINE_IFACE "io.github.hangarvm.Hangar.Machine1"
#define HANGAR_ERROR_PREFIX "io.github.hangarvm.Hangar.Error."

typedef HangarTestEngine Fixture;

typedef struct
{
  const char *path;
  const char *iface;
  const char *method;
  GVariant   *args;
} Call;

typedef struct
{
  GVariant *reply;
  GError   *error;
  guint    *pending;
} Result;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  hangar_test_engine_setup (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  hangar_test_engine_teardown (fixture);
}

static void
on_reply (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *slot = user_data;

  slot->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                               &slot->error);
  (*slot->pending)--;
}

/* Sends every call on its client's connection, then waits for every reply. */
static void
race (GDBusConnection **clients,
      const Call       *calls,
      guint             n,
      Result           *results)
{
  guint pending = n;

  for (guint i = 0; i < n; i++)
    {
      results[i] = (Result) { .pending = &pending };
      g_dbus_connection_call (clients[i % CLIENTS], ENGINE_BUS_NAME, calls[i].path,
                              calls[i].iface, calls[i].method, calls[i].args, NULL,
                              G_DBUS_CALL_FLAGS_NO_AUTO_START, 60000, NULL, on_reply,
                              &results[i]);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
results_clear (Result *results,
               guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&results[i].reply, g_variant_unref);
      g_clear_error (&results[i].error);
    }
}

/* The D-Bus error name of a failed call, or NULL. */
static char *
error_name (const Result *result)
{
  return result->error ? g_dbus_error_get_remote_error (result->error) : NULL;
}

/* A loser must get a named error: Hangar's own, or UnknownObject for a deleted machine. */
static gboolean
named_loss (const Result *result)
{
  g_autofree char *name = error_name (result);

  return name != NULL && (g_str_has_prefix (name, HANGAR_ERROR_PREFIX) ||
                          g_str_equal (name, "org.freedesktop.DBus.Error.UnknownObject") ||
                          g_str_equal (name, "org.freedesktop.DBus.Error.UnknownMethod"));
}

static char *
machine_xml (const char *name,
             const char *uuid)
{
  g_autofree char *uuid_element = uuid ? g_strdup_printf ("<uuid>%s</uuid>", uuid) : NULL;

  return g_strdup_printf ("<domain type='kvm'><name>%s</name>%s"
                          "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                          "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                          "<devices><serial type='pty'/></devices></domain>", name,
                          uuid_element ? uuid_element : "");
}

static char *
machine_path (const char *uuid)
{
  char *path = g_strconcat (ENGINE_OBJECT_PATH "/machine/", uuid, NULL);

  g_strdelimit (path, "-", '_');
  return path;
}

static char *
definition_file (Fixture    *fixture,
                 const char *uuid)
{
  g_autofree char *name = g_strconcat (uuid, ".xml", NULL);
  g_autofree char *path = g_build_filename (fixture->config_dir, "hangar", "machines", name,
                                            NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

/* The machine's Name property as the engine says it now, or NULL if it has no object. */
static char *
bus_name_of (GDBusConnection *bus,
             const char      *path)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (bus, ENGINE_BUS_NAME, path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", MACHINE_IFACE, "Name"), NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL, NULL);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

static void
test_concurrency (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  GDBusConnection *clients[CLIENTS];
  char *paths[MACHINES];
  guint inconsistencies = 0, unnamed = 0, operations = 0, start_won = 0, delete_won = 0;
  double start_stop_s, define_s, one_machine_s;
  g_autoptr(GError) error = NULL;
  gint64 began;

  for (guint i = 0; i < CLIENTS; i++)
    {
      clients[i] = g_dbus_connection_new_for_address_sync (
        address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  /* 20 machines, five a client, started and stopped all at once. */
  for (guint i = 0; i < MACHINES; i++)
    {
      g_autofree char *name = g_strdup_printf ("many-%02u", i);
      g_autofree char *xml = machine_xml (name, NULL);
      g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);

      paths[i] = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));
    }
  began = g_get_monotonic_time ();
  for (guint round = 0; round < ROUNDS / 4; round++)
    {
      Call calls[MACHINES];
      Result results[MACHINES];
      const char *verbs[] = { "Start", "ForceOff" };

      for (guint verb = 0; verb < 2; verb++)
        {
          for (guint i = 0; i < MACHINES; i++)
            calls[i] = (Call) { paths[i], MACHINE_IFACE, verbs[verb], NULL };
          race (clients, calls, MACHINES, results);
          for (guint i = 0; i < MACHINES; i++)
            if (results[i].error != NULL)
              {
                g_test_message ("%s of machine %u: %s", verbs[verb], i, results[i].error->message);
                inconsistencies++;
              }
          results_clear (results, MACHINES);
          operations += MACHINES;
        }
    }
  start_stop_s = (g_get_monotonic_time () - began) / 1e6;
  {
    guint running = 0;

    for (guint i = 0; i < MACHINES; i++)
      {
        g_autofree char *uuid = g_strdup (strrchr (paths[i], '/') + 1);
        g_autoptr(GArray) pids = NULL;

        g_strdelimit (uuid, "_", '-');
        pids = reliability_qemu_pids (uuid);
        running += pids->len;
      }
    if (running > 0)
      g_test_message ("QEMUs running after all were stopped: %u", running);
    inconsistencies += running;
  }

  /* The same name, four new machines: one wins. The same UUID, four names: each replaces. */
  began = g_get_monotonic_time ();
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *name = g_strdup_printf ("contested-%u", round);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *path = machine_path (uuid);
      g_autofree char *file = NULL;
      g_autofree char *on_bus = NULL;
      Call calls[CLIENTS];
      Result results[CLIENTS];
      char *xmls[CLIENTS];
      guint wins = 0, losses = 0, matching = 0;

      for (guint i = 0; i < CLIENTS; i++)
        {
          xmls[i] = machine_xml (name, NULL);
          calls[i] = (Call) { HOST_PATH, HOST_IFACE, "DefineMachine",
                              g_variant_new ("(s)", xmls[i]) };
        }
      race (clients, calls, CLIENTS, results);
      for (guint i = 0; i < CLIENTS; i++)
        {
          g_autofree char *lost = error_name (&results[i]);

          wins += results[i].reply != NULL;
          losses += g_strcmp0 (lost, HANGAR_ERROR_PREFIX "AlreadyExists") == 0;
          unnamed += results[i].error != NULL && !named_loss (&results[i]);
          g_free (xmls[i]);
        }
      if (wins != 1 || losses != CLIENTS - 1)
        {
          g_test_message ("round %u, one name: %u won, %u lost with AlreadyExists", round, wins,
                          losses);
          inconsistencies++;
        }
      results_clear (results, CLIENTS);

      for (guint i = 0; i < CLIENTS; i++)
        {
          g_autofree char *other = g_strdup_printf ("same-uuid-%u-%u", round, i);

          xmls[i] = machine_xml (other, uuid);
          calls[i] = (Call) { HOST_PATH, HOST_IFACE, "DefineMachine",
                              g_variant_new ("(s)", xmls[i]) };
        }
      race (clients, calls, CLIENTS, results);
      file = definition_file (fixture, uuid);
      on_bus = bus_name_of (clients[0], path);
      for (guint i = 0; i < CLIENTS; i++)
        {
          g_autofree char *element = g_strdup_printf ("<name>same-uuid-%u-%u</name>", round, i);
          g_autofree char *expected = g_strdup_printf ("same-uuid-%u-%u", round, i);

          if (results[i].error != NULL)
            {
              g_test_message ("round %u, one UUID, client %u: %s", round, i,
                              results[i].error->message);
              inconsistencies++;
            }
          if (file != NULL && strstr (file, element) != NULL && g_strcmp0 (on_bus, expected) == 0)
            matching++;
          g_free (xmls[i]);
        }
      if (matching != 1)
        {
          g_test_message ("round %u, one UUID: the file and the bus agree on %u of the names "
                          "(bus: %s)", round, matching, on_bus);
          inconsistencies++;
        }
      results_clear (results, CLIENTS);
      operations += 2 * CLIENTS;
    }
  define_s = (g_get_monotonic_time () - began) / 1e6;

  /* One machine, four verbs at once, running then stopped. */
  began = g_get_monotonic_time ();
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *name = g_strdup_printf ("target-%u", round);
      g_autofree char *xml = machine_xml (name, NULL);
      g_autofree char *uuid = NULL;
      g_autofree char *path = NULL;
      g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
      g_autoptr(GArray) pids = NULL;
      g_autofree char *still = NULL;
      g_autofree char *file = NULL;
      Call running[CLIENTS];
      Call stopped[CLIENTS];
      Result results[CLIENTS];
      guint deletes = 0, starts = 0;

      uuid = hangar_dbus_machine1_dup_uuid (machine);
      path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));
      hangar_dbus_machine1_call_start_sync (machine, NULL, &error);
      g_assert_no_error (error);

      running[round % CLIENTS] = (Call) { path, MACHINE_IFACE, "ForceOff", NULL };
      running[(round + 1) % CLIENTS] = (Call) { path, MACHINE_IFACE, "Delete",
                                                g_variant_new ("(u)", 0) };
      running[(round + 2) % CLIENTS] = (Call) { path, MACHINE_IFACE, "Shutdown", NULL };
      running[(round + 3) % CLIENTS] = (Call) { path, MACHINE_IFACE, "UpdateConfig",
                                                g_variant_new ("(su)", xml, 0) };
      race (clients, running, CLIENTS, results);
      for (guint i = 0; i < CLIENTS; i++)
        {
          unnamed += results[i].error != NULL && !named_loss (&results[i]);
          if (g_str_equal (running[i].method, "Delete") && results[i].reply != NULL)
            {
              g_test_message ("round %u: a running machine was deleted", round);
              inconsistencies++;
            }
        }
      results_clear (results, CLIENTS);
      hangar_test_wait_state (machine, "shut-off", 20);

      /* Who sends first changes from round to round. */
      for (guint i = 0; i < CLIENTS; i++)
        stopped[(i + round) % CLIENTS] = i % 2 == 0 ?
          (Call) { path, MACHINE_IFACE, "Start", NULL } :
          (Call) { path, MACHINE_IFACE, "Delete", g_variant_new ("(u)", 0) };
      race (clients, stopped, CLIENTS, results);
      for (guint i = 0; i < CLIENTS; i++)
        {
          unnamed += results[i].error != NULL && !named_loss (&results[i]);
          if (results[i].reply != NULL)
            (g_str_equal (stopped[i].method, "Start") ? starts++ : deletes++);
        }
      pids = reliability_qemu_pids (uuid);
      still = bus_name_of (clients[0], path);
      file = definition_file (fixture, uuid);
      /* Serialized: one Start at most, one Delete at most, never both; what is on the bus,
       * on disk and in /proc agrees. */
      if (starts + deletes != 1 || (deletes == 1) != (still == NULL) ||
          pids->len != starts || (deletes == 1 && file != NULL))
        {
          g_test_message ("round %u: %u starts, %u deletes won; machine %s, %u QEMUs", round,
                          starts, deletes, still ? "listed" : "gone", pids->len);
          inconsistencies++;
        }
      results_clear (results, CLIENTS);
      operations += 2 * CLIENTS;
      start_won += starts, delete_won += deletes;
      if (starts == 1)
        {
          hangar_dbus_machine1_call_force_off_sync (machine, NULL, &error);
          g_assert_no_error (error);
        }
    }
  one_machine_s = (g_get_monotonic_time () - began) / 1e6;

  g_test_message ("%u clients, %u operations: start/stop of %u machines %.0f operations/s, "
                  "racing defines %.0f/s, racing verbs on one machine %.0f/s (Start won %u "
                  "rounds, Delete %u); inconsistencies: %u; losers without a named error: %u; "
                  "snapshots: none in the engine yet, not raced", CLIENTS, operations, MACHINES,
                  (ROUNDS / 4) * 2 * MACHINES / start_stop_s, ROUNDS * 2 * CLIENTS / define_s,
                  ROUNDS * 2 * CLIENTS / one_machine_s, start_won, delete_won, inconsistencies,
                  unnamed);
  g_assert_cmpuint (inconsistencies, ==, 0);
  g_assert_cmpuint (unnamed, ==, 0);

  for (guint i = 0; i < MACHINES; i++)
    g_free (paths[i]);
  for (guint i = 0; i < CLIENTS; i++)
    g_object_unref (clients[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/concurrency", Fixture, NULL, setup, test_concurrency, teardown);
  return g_test_run ();
}
