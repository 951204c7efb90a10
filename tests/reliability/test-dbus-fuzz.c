/* test-dbus-fuzz.c: 100,000 malformed and random D-Bus messages at the engine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Bad input": wrong signatures on every method, right signatures with random
 * values on the methods that cannot start or delete anything, unknown paths,
 * interfaces and methods, property calls with random names, 100,000-element arrays,
 * and messages carrying 250 fds. Seeded (HANGAR_TEST_SEED): the same seed sends the
 * same messages. Up to 64 calls are in flight at once; every 2,000 messages a call the
 * engine's main loop answers must come back within 5 s. The engine must never crash
 * (it stays alive, owns its name, and exits cleanly under the sanitizers at the end)
 * nor hang (no call waits past its timeout). Prints crashes, hangs and what came back.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "hangar-test-engine.h"
#include "reliability-common.h"

#define MESSAGES 100000
#define IN_FLIGHT 64
#define HUGE_ARRAY 100000
#define MANY_FDS 250
#define CALL_TIMEOUT_MS 20000

#define HOST_PATH ENGINE_OBJECT_PATH "/host"
#define HOST_IFACE "io.github.hangarvm.Hangar.Host1"
#define MACHINE_IFACE "io.github.hangarvm.Hangar.Machine1"

typedef HangarTestEngine Fixture;

typedef struct
{
  const char *iface;
  const char *method;
  const char *signature;
  gboolean    safe;   /* random values of the right signature do no lasting harm */
} Method;

static const Method methods[] = {
  { HOST_IFACE, "DefineMachine", "(s)", TRUE },
  { HOST_IFACE, "LookupMachine", "(s)", TRUE },
  { HOST_IFACE, "SetStatisticsInterval", "(u)", TRUE },
  { HOST_IFACE, "SubscribeStatistics", "()", TRUE },
  { HOST_IFACE, "UnsubscribeStatistics", "()", TRUE },
  { HOST_IFACE, "GetStatisticsHistory", "(asu)", TRUE },
  { HOST_IFACE, "IdentifyMedia", "(s)", TRUE },
  { HOST_IFACE, "ListOpticalDrives", "()", TRUE },
  { HOST_IFACE, "IdentifyTree", "(s)", FALSE },          /* would fetch a URL */
  { HOST_IFACE, "SearchOperatingSystems", "(su)", TRUE },
  { HOST_IFACE, "GetOsDefaults", "(s)", TRUE },
  { HOST_IFACE, "CheckMachineName", "(s)", TRUE },
  { HOST_IFACE, "ListFolder", "(s)", TRUE },
  { HOST_IFACE, "CreateVolume", "(a{sv})", FALSE },      /* would write images */
  { HOST_IFACE, "CreateMachine", "(a{sv})", FALSE },
  { MACHINE_IFACE, "GetXml", "()", TRUE },
  { MACHINE_IFACE, "UpdateConfig", "(su)", TRUE },
  { MACHINE_IFACE, "AttachDevice", "(s)", TRUE },
  { MACHINE_IFACE, "DetachDevice", "(s)", TRUE },
  { MACHINE_IFACE, "Start", "()", FALSE },               /* would start QEMU */
  { MACHINE_IFACE, "Shutdown", "()", TRUE },
  { MACHINE_IFACE, "ForceOff", "()", TRUE },
  { MACHINE_IFACE, "Reboot", "()", TRUE },
  { MACHINE_IFACE, "Reset", "()", TRUE },
  { MACHINE_IFACE, "Pause", "()", TRUE },
  { MACHINE_IFACE, "Resume", "()", TRUE },
  { MACHINE_IFACE, "SetAutostart", "(b)", TRUE },
  { MACHINE_IFACE, "Delete", "(u)", FALSE },             /* would delete the target */
  { MACHINE_IFACE, "OpenConsole", "(s)", TRUE },
  { MACHINE_IFACE, "GetGuestInfo", "()", TRUE },
  { MACHINE_IFACE, "MonitorCommand", "(s)", TRUE },
  { MACHINE_IFACE, "ReadLog", "(u)", TRUE },
};

typedef struct
{
  GRand           *rand;
  GDBusConnection *bus;
  char            *machine_path;
  guint            in_flight;
  guint            sent;
  guint            errors;
  guint            returns;
  guint            timeouts;
  guint            refused_by_bus;  /* sends that failed: the bus or GDBus refused them */
  guint            huge;
  guint            fd_messages;
  GHashTable      *error_names;
} Fuzz;

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
random_string (GRand *rand)
{
  static const char chars[] = "abcXYZ019 ,=.-_<>&'\"é€\n";
  guint length = g_rand_int_range (rand, 0, 24);
  GString *text = g_string_new (NULL);

  /* Never a "/": no random absolute path reaches a method that writes. */
  for (guint i = 0; i < length; i++)
    {
      const char *p = chars;
      guint pick = g_rand_int_range (rand, 0, (gint32) g_utf8_strlen (chars, -1));

      for (guint j = 0; j < pick; j++)
        p = g_utf8_next_char (p);
      g_string_append_len (text, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (text, FALSE);
}

static GVariant *random_value (GRand *rand, guint depth);

static GVariant *
random_basic (GRand *rand)
{
  g_autofree char *text = NULL;

  switch (g_rand_int_range (rand, 0, 11))
    {
    case 0: return g_variant_new_boolean (g_rand_boolean (rand));
    case 1: return g_variant_new_byte (g_rand_int (rand));
    case 2: return g_variant_new_int16 (g_rand_int (rand));
    case 3: return g_variant_new_uint16 (g_rand_int (rand));
    case 4: return g_variant_new_int32 (g_rand_int (rand));
    case 5: return g_variant_new_uint32 (g_rand_int (rand));
    case 6: return g_variant_new_int64 ((gint64) (((guint64) g_rand_int (rand) << 32) |
                                                  g_rand_int (rand)));
    case 7: return g_variant_new_uint64 (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand));
    case 8: return g_variant_new_double (g_rand_double_range (rand, -1e300, 1e300));
    case 9: return g_variant_new_object_path (g_rand_boolean (rand) ? "/" : "/a/b_c/D9");
    default:
      text = random_string (rand);
      return g_variant_new_string (text);
    }
}

static GVariant *
random_value (GRand *rand,
              guint  depth)
{
  guint pick = depth >= 4 ? 0 : g_rand_int_range (rand, 0, 8);

  switch (pick)
    {
    case 5: /* an array of strings */
      {
        GVariantBuilder builder;
        guint n = g_rand_int_range (rand, 0, 5);

        g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *text = random_string (rand);
            g_variant_builder_add (&builder, "s", text);
          }
        return g_variant_builder_end (&builder);
      }
    case 6: /* a{sv} */
      {
        static const char * const keys[] = { "name", "install", "size", "format", "memory-kib",
                                             "vcpus", "os-id", "media", "disk", "x" };
        GVariantBuilder builder;
        guint n = g_rand_int_range (rand, 0, 5);

        g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
        for (guint i = 0; i < n; i++)
          g_variant_builder_add (&builder, "{sv}",
                                 keys[g_rand_int_range (rand, 0, G_N_ELEMENTS (keys))],
                                 random_value (rand, depth + 1));
        return g_variant_builder_end (&builder);
      }
    case 7: /* a variant, or a struct */
      if (g_rand_boolean (rand))
        return g_variant_new_variant (random_value (rand, depth + 1));
      else
        {
          GVariant *items[3];
          guint n = g_rand_int_range (rand, 1, 4);

          for (guint i = 0; i < n; i++)
            items[i] = random_value (rand, depth + 1);
          return g_variant_new_tuple (items, n);
        }
    default:
      return random_basic (rand);
    }
}

/* A body of 0 to 3 random values; never @avoid's type. */
static GVariant *
random_body (GRand      *rand,
             const char *avoid)
{
  for (;;)
    {
      GVariant *items[3];
      guint n = g_rand_int_range (rand, 0, 4);
      GVariant *body;

      for (guint i = 0; i < n; i++)
        items[i] = random_value (rand, 1);
      body = g_variant_ref_sink (g_variant_new_tuple (items, n));
      if (avoid == NULL || !g_str_equal (g_variant_get_type_string (body), avoid))
        return body;
      g_variant_unref (body);
    }
}

/* Random values of @signature, one of the methods' own. */
static GVariant *
body_for (GRand      *rand,
          const char *signature)
{
  g_autofree char *a = random_string (rand);
  g_autofree char *b = random_string (rand);
  guint32 number = g_rand_boolean (rand) ? (guint32) g_rand_int_range (rand, 0, 4) :
                                           g_rand_int (rand);

  if (g_str_equal (signature, "(s)"))
    {
      /* Sometimes a definition-like text, so the XML parser sees odd input too. */
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          g_autofree char *xml = g_strdup_printf ("<domain type='kvm'><name>%s</name>%s", a, b);
          return g_variant_new ("(s)", xml);
        }
      return g_variant_new ("(s)", a);
    }
  if (g_str_equal (signature, "(u)"))
    return g_variant_new ("(u)", number);
  if (g_str_equal (signature, "(b)"))
    return g_variant_new ("(b)", g_rand_boolean (rand));
  if (g_str_equal (signature, "(su)"))
    return g_variant_new ("(su)", a, number);
  if (g_str_equal (signature, "(asu)"))
    {
      const char *names[] = { a, b, NULL };
      return g_variant_new ("(^asu)", names, number);
    }
  return g_variant_new ("()");
}

static GVariant *
huge_array (GRand *rand)
{
  GVariantBuilder builder;
  gboolean strings = g_rand_boolean (rand);
  GVariant *array;

  g_variant_builder_init (&builder, strings ? G_VARIANT_TYPE_STRING_ARRAY :
                                              G_VARIANT_TYPE ("au"));
  for (guint i = 0; i < HUGE_ARRAY; i++)
    {
      if (strings)
        g_variant_builder_add (&builder, "s", "x");
      else
        g_variant_builder_add (&builder, "u", i);
    }
  array = g_variant_builder_end (&builder);
  return g_variant_new_tuple (&array, 1);
}

static void
on_reply (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fuzz *fuzz = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusMessage) reply = NULL;

  fuzz->in_flight--;
  reply = g_dbus_connection_send_message_with_reply_finish (G_DBUS_CONNECTION (object), result,
                                                           &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        fuzz->timeouts++;
      else
        fuzz->refused_by_bus++;
      return;
    }
  if (g_dbus_message_get_message_type (reply) == G_DBUS_MESSAGE_TYPE_ERROR)
    {
      const char *name = g_dbus_message_get_error_name (reply);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (fuzz->error_names, name));

      g_hash_table_insert (fuzz->error_names, g_strdup (name), GUINT_TO_POINTER (count + 1));
      fuzz->errors++;
    }
  else
    fuzz->returns++;
}

static GDBusMessage *
next_message (Fuzz *fuzz)
{
  GRand *rand = fuzz->rand;
  guint kind = g_rand_int_range (rand, 0, 10000);
  const Method *method = &methods[g_rand_int_range (rand, 0, G_N_ELEMENTS (methods))];
  const char *path = g_str_equal (method->iface, HOST_IFACE) ? HOST_PATH : fuzz->machine_path;
  GDBusMessage *message;
  GVariant *body;

  if (kind < 3500)
    {
      /* A real method, a wrong signature. */
      message = g_dbus_message_new_method_call (ENGINE_BUS_NAME, path, method->iface,
                                                method->method);
      body = random_body (rand, method->signature);
      g_dbus_message_set_body (message, body);
      g_variant_unref (body);
    }
  else if (kind < 7500)
    {
      /* A real method, the right signature, random values. */
      while (!method->safe)
        method = &methods[g_rand_int_range (rand, 0, G_N_ELEMENTS (methods))];
      path = g_str_equal (method->iface, HOST_IFACE) ? HOST_PATH : fuzz->machine_path;
      message = g_dbus_message_new_method_call (ENGINE_BUS_NAME, path, method->iface,
                                                method->method);
      g_dbus_message_set_body (message, body_for (rand, method->signature));
    }
  else if (kind < 9000)
    {
      /* Unknown paths, interfaces, methods. */
      static const char * const paths[] = { "/", ENGINE_OBJECT_PATH, ENGINE_OBJECT_PATH "/nope",
                                            ENGINE_OBJECT_PATH "/machine/0", "/a/b/c" };
      static const char * const ifaces[] = { HOST_IFACE, MACHINE_IFACE, "io.github.nope",
                                             "org.freedesktop.DBus.ObjectManager" };
      g_autofree char *name = g_strdup_printf ("M%u", g_rand_int_range (rand, 0, 100));

      message = g_dbus_message_new_method_call (
        ENGINE_BUS_NAME, g_rand_boolean (rand) ? paths[g_rand_int_range (rand, 0, 5)] : path,
        ifaces[g_rand_int_range (rand, 0, 4)],
        g_rand_boolean (rand) ? name : method->method);
      /* Never the signature of the real method it may have named: that could start QEMU. */
      body = random_body (rand, method->signature);
      g_dbus_message_set_body (message, body);
      g_variant_unref (body);
    }
  else if (kind < 9950)
    {
      /* Properties and introspection with random names and bodies. */
      static const char * const calls[] = { "Get", "Set", "GetAll" };
      g_autofree char *property = random_string (rand);

      message = g_dbus_message_new_method_call (ENGINE_BUS_NAME, path,
                                                "org.freedesktop.DBus.Properties",
                                                calls[g_rand_int_range (rand, 0, 3)]);
      if (g_rand_boolean (rand))
        g_dbus_message_set_body (message, g_variant_new ("(ss)", method->iface, property));
      else if (g_rand_boolean (rand))
        g_dbus_message_set_body (message, g_variant_new ("(ssv)", method->iface, "Name",
                                                         g_variant_new_string (property)));
      else
        {
          body = random_body (rand, NULL);
          g_dbus_message_set_body (message, body);
          g_variant_unref (body);
        }
    }
  else if (kind < 9955)
    {
      message = g_dbus_message_new_method_call (ENGINE_BUS_NAME, path, method->iface,
                                                method->method);
      g_dbus_message_set_body (message, huge_array (rand));
      fuzz->huge++;
    }
  else
    {
      /* Many fds, to any method. */
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();

      for (guint i = 0; i < MANY_FDS; i++)
        {
          int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

          g_assert_cmpint (g_unix_fd_list_append (fds, fd, NULL), >=, 0);
          close (fd);
        }
      message = g_dbus_message_new_method_call (ENGINE_BUS_NAME, path, method->iface,
                                                method->method);
      g_dbus_message_set_body (message, g_variant_new ("(h)", g_rand_int_range (rand, 0,
                                                                                MANY_FDS)));
      g_dbus_message_set_unix_fd_list (message, fds);
      fuzz->fd_messages++;
    }
  return message;
}

/* The CPU time (user and system) @pid has used. */
static double
engine_cpu_s (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || strrchr (stat, ')') == NULL)
    return 0;
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
  /* utime and stime are fields 14 and 15, here 11 and 12. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static gboolean
engine_answers (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  reply = g_dbus_connection_call_sync (bus, ENGINE_BUS_NAME, HOST_PATH, HOST_IFACE,
                                       "CheckMachineName", g_variant_new ("(s)", "ping"), NULL,
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
  if (reply == NULL)
    g_test_message ("no answer: %s", error->message);
  return reply != NULL;
}

static void
test_fuzz (Fixture       *fixture,
           gconstpointer  data)
{
  const char *seed_text = g_getenv ("HANGAR_TEST_SEED");
  guint32 seed = seed_text ? (guint32) atoi (seed_text) : 8;
  g_autofree char *xml = hangar_test_guest_xml ("fuzz-target", NULL);
  g_autoptr(HangarDBusMachine1) machine = hangar_test_define (fixture, xml);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) errors = g_string_new (NULL);
  GPid engine = reliability_engine_pid (fixture);
  guint hangs = 0, crashes = 0;
  gint64 began = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;
  Fuzz fuzz = { 0 };

  fuzz.rand = g_rand_new_with_seed (seed);
  fuzz.machine_path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (machine)));
  fuzz.error_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* A connection of its own: if the bus drops it, the test's own stays. */
  fuzz.bus = g_dbus_connection_new_for_address_sync (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (fuzz.bus, FALSE);

  while (fuzz.sent < MESSAGES)
    {
      g_autoptr(GDBusMessage) message = NULL;

      if (fuzz.in_flight >= IN_FLIGHT)
        {
          g_main_context_iteration (NULL, TRUE);
          continue;
        }
      message = next_message (&fuzz);
      fuzz.sent++;
      fuzz.in_flight++;
      g_dbus_connection_send_message_with_reply (fuzz.bus, message,
                                                 G_DBUS_SEND_MESSAGE_FLAGS_NONE,
                                                 CALL_TIMEOUT_MS, NULL, NULL, on_reply, &fuzz);
      if (fuzz.sent % 2000 == 0)
        {
          if (reliability_process_state (engine) == 0 || g_dbus_connection_is_closed (fuzz.bus))
            g_error ("After %u messages the engine %s", fuzz.sent,
                     g_dbus_connection_is_closed (fuzz.bus) ? "'s bus dropped the fuzzer" :
                                                             "is gone");
          if (!engine_answers (fixture))
            hangs++;
        }
    }
  while (fuzz.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  if (reliability_process_state (engine) == 0)
    crashes++;
  /* The fuzzer calls nothing that starts QEMU: none may run. */
  {
    g_autofree char *uuid = hangar_dbus_machine1_dup_uuid (machine);
    g_autoptr(GArray) qemus = reliability_qemu_pids (uuid);

    g_assert_cmpuint (qemus->len, ==, 0);
  }
  if (!engine_answers (fixture))
    hangs++;
  hangs += fuzz.timeouts;

  g_hash_table_iter_init (&iter, fuzz.error_names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (errors, " %s×%u", (char *) key, GPOINTER_TO_UINT (value));
  g_test_message ("%u messages (seed %u; %u with 100,000-element arrays, %u with %u fds) in "
                  "%.1f s, the engine busy %.1f s of it: crashes %u, hangs %u; %u errors, "
                  "%u returns, %u refused before the engine; errors:%s", fuzz.sent, seed,
                  fuzz.huge, fuzz.fd_messages, MANY_FDS, (g_get_monotonic_time () - began) / 1e6,
                  engine_cpu_s (engine), crashes, hangs, fuzz.errors, fuzz.returns,
                  fuzz.refused_by_bus, errors->str);
  g_assert_cmpuint (crashes, ==, 0);
  g_assert_cmpuint (hangs, ==, 0);
  g_assert_cmpuint (fuzz.errors + fuzz.returns, >, MESSAGES / 2);

  g_object_unref (fuzz.bus);
  g_hash_table_unref (fuzz.error_names);
  g_free (fuzz.machine_path);
  g_rand_free (fuzz.rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/dbus-fuzz", Fixture, NULL, setup, test_fuzz, teardown);
  return g_test_run ();
}
