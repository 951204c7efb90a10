/* test-define-kills.c: 1,000 defines and edits while the engine is killed at random
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Crash and restart": DefineMachine (new machines and replacements) and
 * UpdateConfig calls, several in flight at once, while the engine gets kill -9 at a
 * random moment every few calls and is started again. Each call carries a version in
 * <title> and 8 KiB of <description>, so a torn write would show. After every kill
 * each definition file must be whole and hold the version last acknowledged or one
 * sent after it (a call the engine may have saved before it died); a new machine's
 * file is absent or whole. Seeded (HANGAR_TEST_SEED) and reproducible in its calls,
 * not in its timing. Prints the corrupt files of 1,000 operations.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <signal.h>

#include "hangar-test-engine.h"
#include "reliability-common.h"

#define OPERATIONS 1000
#define MACHINES 8
#define MAX_IN_FLIGHT 6

typedef HangarTestEngine Fixture;

typedef struct
{
  char   *uuid;
  char   *path;       /* its object path once the engine has told it */
  int     acked;      /* the version last acknowledged; -1: never defined */
  GArray *in_flight;  /* versions sent and not acknowledged */
} Machine;

typedef struct
{
  Fixture  *fixture;
  GRand    *rand;
  Machine   machines[MACHINES * 4];
  guint     n_machines;
  guint     sent;
  guint     pending;
  guint     version;
  char     *padding;
} Run;

typedef struct
{
  Run     *run;
  Machine *machine;
  int      version;
} Call;

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

static char *
machine_xml (Run     *run,
             Machine *machine,
             int      version)
{
  const char *guest = g_getenv ("HANGAR_TEST_GUEST_DIR");

  return g_strdup_printf (
    "<domain type='kvm'>\n"
    "  <name>kill-%.8s</name>\n"
    "  <uuid>%s</uuid>\n"
    "  <title>version %d</title>\n"
    "  <description>%s</description>\n"
    "  <memory unit='MiB'>%d</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type arch='x86_64' machine='pc'>hvm</type>"
    "<kernel>%s/vmlinuz</kernel></os>\n"
    "  <devices><serial type='pty'/></devices>\n"
    "</domain>\n", machine->uuid, machine->uuid, version, run->padding, 64 + version % 64,
    guest);
}

static void
on_reply (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Call *call = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  call->run->pending--;
  if (reply == NULL)
    return; /* the engine died under it: the version stays in flight */
  if (g_variant_is_of_type (reply, G_VARIANT_TYPE ("(o)")) && call->machine->path == NULL)
    g_variant_get (reply, "(o)", &call->machine->path);
  if (call->version > call->machine->acked)
    call->machine->acked = call->version;
  for (guint i = call->machine->in_flight->len; i-- > 0;)
    if (g_array_index (call->machine->in_flight, int, i) <= call->version)
      g_array_remove_index (call->machine->in_flight, i);
}

static void
send_one (Run             *run,
          GDBusConnection *bus)
{
  Call *call = g_new0 (Call, 1);
  guint pick = g_rand_int_range (run->rand, 0, 10);
  g_autofree char *xml = NULL;
  Machine *machine;

  /* One call in ten defines a new machine; the rest replace or edit a known one. */
  if (pick == 0 && run->n_machines < G_N_ELEMENTS (run->machines))
    {
      machine = &run->machines[run->n_machines++];
      machine->uuid = g_uuid_string_random ();
      machine->acked = -1;
      machine->in_flight = g_array_new (FALSE, FALSE, sizeof (int));
    }
  else
    {
      machine = &run->machines[g_rand_int_range (run->rand, 0, run->n_machines)];
    }

  call->run = run;
  call->machine = machine;
  call->version = ++run->version;
  xml = machine_xml (run, machine, call->version);
  g_array_append_val (machine->in_flight, call->version);
  run->sent++;
  run->pending++;
  if (machine->path != NULL && pick % 2 == 1)
    g_dbus_connection_call (bus, ENGINE_BUS_NAME, machine->path, "io.github.hangarvm.Hangar.Machine1",
                            "UpdateConfig", g_variant_new ("(su)", xml, 0), NULL,
                            G_DBUS_CALL_FLAGS_NO_AUTO_START, 20000, NULL, on_reply, call);
  else
    g_dbus_connection_call (bus, ENGINE_BUS_NAME, ENGINE_OBJECT_PATH "/host",
                            "io.github.hangarvm.Hangar.Host1", "DefineMachine",
                            g_variant_new ("(s)", xml), NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                            20000, NULL, on_reply, call);
}

/* The version in a definition file, or -1 for none; FALSE if the file is not whole. */
static gboolean
file_version (Fixture    *fixture,
              Machine    *machine,
              int        *version)
{
  g_autofree char *name = g_strconcat (machine->uuid, ".xml", NULL);
  g_autofree char *path = g_build_filename (fixture->config_dir, "hangar", "machines", name,
                                            NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  static const GMarkupParser parser = { NULL };
  const char *title;

  *version = -1;
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return TRUE;
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  if (!g_markup_parse_context_parse (context, contents, -1, NULL) ||
      !g_markup_parse_context_end_parse (context, NULL) ||
      (title = strstr (contents, "<title>version ")) == NULL ||
      strstr (contents, "</domain>") == NULL)
    return FALSE;
  *version = atoi (title + strlen ("<title>version "));
  return TRUE;
}

static gboolean
version_allowed (Machine *machine,
                 int      version)
{
  if (version == machine->acked)
    return TRUE;
  for (guint i = 0; i < machine->in_flight->len; i++)
    if (g_array_index (machine->in_flight, int, i) == version && version > machine->acked)
      return TRUE;
  return FALSE;
}

static void
test_define_kills (Fixture       *fixture,
                   gconstpointer  data)
{
  Run run = { .fixture = fixture };
  const char *seed_text = g_getenv ("HANGAR_TEST_SEED");
  guint32 seed = seed_text ? (guint32) atoi (seed_text) : 8;
  guint kills = 0, corrupt = 0, checks = 0, wrong_version = 0, temp_files = 0;
  guint killed_temp_files = 0;
  gint64 began = g_get_monotonic_time ();

  run.rand = g_rand_new_with_seed (seed);
  run.padding = g_strnfill (8192, 'x');
  for (guint i = 0; i < MACHINES; i++)
    {
      Machine *machine = &run.machines[run.n_machines++];

      machine->uuid = g_uuid_string_random ();
      machine->acked = -1;
      machine->in_flight = g_array_new (FALSE, FALSE, sizeof (int));
    }

  while (run.sent < OPERATIONS)
    {
      g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
      guint batch = g_rand_int_range (run.rand, 1, 20);
      gint64 kill_after = g_rand_int_range (run.rand, 0, 40000);
      gint64 started = g_get_monotonic_time ();

      /* Calls keep going out, a few in flight, until the kill comes a random time on. */
      while (g_get_monotonic_time () - started < kill_after && run.sent < OPERATIONS)
        {
          if (run.pending < MAX_IN_FLIGHT && batch > 0)
            {
              send_one (&run, bus);
              batch--;
            }
          else if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (100);
        }
      hangar_test_engine_stop (fixture, SIGKILL);
      kills++;
      while (run.pending > 0)
        g_main_context_iteration (NULL, TRUE);

      for (guint i = 0; i < run.n_machines; i++)
        {
          Machine *machine = &run.machines[i];
          int version;

          checks++;
          if (!file_version (fixture, machine, &version))
            {
              g_test_message ("torn: machine %s after operation %u", machine->uuid, run.sent);
              corrupt++;
            }
          else if (!version_allowed (machine, version))
            {
              g_test_message ("machine %s holds version %d; acknowledged %d", machine->uuid,
                              version, machine->acked);
              wrong_version++;
            }
          else
            {
              /* What is on disk is what the next engine knows. */
              machine->acked = version;
              g_array_set_size (machine->in_flight, 0);
            }
          if (version >= 0 && machine->path == NULL)
            {
              machine->path = g_strdup_printf ("%s/machine/%s", ENGINE_OBJECT_PATH,
                                               machine->uuid);
              g_strdelimit (machine->path, "-", '_');
            }
        }
      killed_temp_files += reliability_count_temp_files (fixture->config_dir);
      hangar_test_engine_start (fixture);
      temp_files += reliability_count_temp_files (fixture->config_dir);
    }

  {
    /* The last engine knows every machine that has a file. */
    GList *objects = g_dbus_object_manager_get_objects (fixture->manager);
    guint defined = 0;

    for (guint i = 0; i < run.n_machines; i++)
      defined += run.machines[i].acked >= 0;
    g_assert_cmpuint (g_list_length (objects), ==, defined + 1);
    g_list_free_full (objects, g_object_unref);
  }

  g_test_message ("corrupt files of %u operations: %u (%u files checked after %u kills, "
                  "%u with a version never sent or older than acknowledged; temporary files "
                  "the kills left: %u, left after the restarts: %u); seed %u; %.1f s", run.sent,
                  corrupt, checks, kills, wrong_version, killed_temp_files, temp_files, seed, (g_get_monotonic_time () - began) / 1e6);
  g_assert_cmpuint (corrupt, ==, 0);
  g_assert_cmpuint (wrong_version, ==, 0);
  g_assert_cmpuint (temp_files, ==, 0);

  for (guint i = 0; i < run.n_machines; i++)
    {
      g_free (run.machines[i].uuid);
      g_free (run.machines[i].path);
      g_array_unref (run.machines[i].in_flight);
    }
  g_free (run.padding);
  g_rand_free (run.rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/define-kills", Fixture, NULL, setup, test_define_kills, teardown);
  return g_test_run ();
}
