/* test-bad-input.c: names, definitions and values that must be refused, or survive
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Issue 8, "Bad input", against a real engine (invalid UTF-8 cannot travel as a D-Bus
 * string at all; the parser's own refusal of it is in tests/test-domain.c): every refusal is a named error that
 * comes before any file is written (the definitions folder is compared before and
 * after), and what is accepted survives an engine restart unchanged. Each test prints
 * its table or figure.
 */
#define G_LOG_DOMAIN "hangar-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "hangar-error.h"
#include "hangar-test-engine.h"

typedef HangarTestEngine Fixture;

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

/* Every file under @dir, as "relative/path" strings, sorted. */
static void
list_files (const char *root,
            const char *dir,
            GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (root, path, out);
      else
        g_ptr_array_add (out, g_strdup (path + strlen (root)));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
snapshot_files (Fixture *fixture)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  list_files (fixture->root, fixture->root, files);
  g_ptr_array_sort (files, compare_strings);
  g_ptr_array_add (files, NULL);
  return g_strjoinv ("\n", (char **) files->pdata);
}

static gboolean
define (Fixture     *fixture,
        const char  *xml,
        char       **out_path,
        GError     **error)
{
  return hangar_dbus_host1_call_define_machine_sync (fixture->host, xml, out_path, NULL, error);
}

/* A definition of the tiny guest named @name, written by hand: no markup escaping of
 * our own beyond what XML needs, so the name arrives as given. */
static char *
named_xml (const char *name)
{
  g_autofree char *escaped = g_markup_escape_text (name, -1);

  return g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
                          "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>",
                          escaped);
}

typedef struct
{
  const char *label;
  const char *name;
  gboolean    accepted;
} NameCase;

/* Names: the odd ones accepted survive a restart as they were; /, newline and NUL are
 * refused with a named error and leave no file. */
static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *kib = g_strnfill (1024, 'k');
  g_autofree char *rtl = g_strdup ("\u05e9\u05dc\u05d5\u05dd \u202eevil\u202c");
  NameCase cases[] = {
    { "shadow", "a,file=/etc/shadow", FALSE },
    { "options", "foo=1,bar=2", TRUE },
    { "doubled comma", "x,,y", TRUE },
    { "slash", "web/01", FALSE },
    { "newline", "two\nlines", FALSE },
    { "dot-dot", "..", TRUE },
    { "quotes", "it's \"quoted\"", TRUE },
    { "command", "$(touch hangar-pwned)", TRUE },
    { "right-to-left", rtl, TRUE },
    { "1 KiB", kib, TRUE },
  };
  g_autoptr(GString) table = g_string_new ("name            accepted  after restart\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = named_xml (cases[i].name);
      g_autofree char *before = snapshot_files (fixture);
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      gboolean accepted = define (fixture, xml, &path, &error);

      g_string_append_printf (table, "%-15s %-9s", cases[i].label, accepted ? "yes" : "no");
      if (accepted != cases[i].accepted)
        g_error ("“%s” was %s: %s", cases[i].label, accepted ? "accepted" : "refused",
                 error ? error->message : "");
      if (!accepted)
        {
          g_autofree char *after = snapshot_files (fixture);

          g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
          g_assert_cmpstr (after, ==, before);
          g_string_append_printf (table, " (%s)\n", error->message);
        }
      else
        g_string_append (table, "\n");
    }

  /* NUL cannot be sent as a D-Bus string; as an XML character reference it is refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *path = NULL;

    g_assert_false (define (fixture, "<domain type='qemu'><name>a&#0;b</name>"
                            "<memory>65536</memory><os><type>hvm</type></os></domain>",
                            &path, &error));
    g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
    g_string_append_printf (table, "%-15s %-9s (%s)\n", "NUL", "no", error->message);
  }

  /* Restart: every accepted name is there as it was. */
  hangar_test_engine_stop (fixture, SIGTERM);
  hangar_test_engine_start (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HangarDBusMachine1) machine = NULL;

      if (!cases[i].accepted)
        continue;
      machine = hangar_test_lookup (fixture, cases[i].name);
      g_assert_cmpstr (hangar_dbus_machine1_get_name (machine), ==, cases[i].name);
    }
  g_assert_false (g_file_test ("hangar-pwned", G_FILE_TEST_EXISTS));
  g_test_message ("\n%s", table->str);
}

/* Every file the engine wrote is under its own folders (the fixture's root). */
static void
test_no_stray_files (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *xml = named_xml ("..escape.xml");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files = NULL;

  g_assert_true (define (fixture, xml, &path, &error));
  g_assert_no_error (error);
  files = snapshot_files (fixture);
  /* The definition is named by UUID, not by name. */
  g_assert_null (strstr (files, "escape"));
  g_test_message ("files: %s", files);
}

static guint64
engine_peak_rss_kib (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (fixture->engine));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static char *
nested (guint depth)
{
  GString *xml = g_string_new ("<domain type='qemu'><name>deep</name><metadata>");

  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "<a>");
  for (guint i = 0; i < depth; i++)
    g_string_append (xml, "</a>");
  g_string_append (xml, "</metadata><memory>65536</memory><os><type>hvm</type></os></domain>");
  return g_string_free (xml, FALSE);
}

/* Definitions: malformed, entities, bombs, huge, deep: refused before any side effect,
 * with the engine's memory bounded. */
static void
test_definitions (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char laughs[] =
    "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'lollollollollollollollollollol'>"
    "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
    "<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'><!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>"
    "<!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'><!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>"
    "<!ENTITY h '&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;'><!ENTITY i '&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;'>]>"
    "<domain type='qemu'><name>&i;</name><memory>65536</memory><os><type>hvm</type></os>"
    "</domain>";
  static const char external[] =
    "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
    "<domain type='qemu'><name>&x;</name><memory>65536</memory><os><type>hvm</type></os>"
    "</domain>";
  g_autofree char *big = NULL, *deep = nested (100000), *truncated = NULL;
  g_autofree char *whole = named_xml ("whole");
  g_autofree char *before = snapshot_files (fixture);
  struct { const char *label; const char *xml; } cases[] = {
    { "truncated", NULL },
    { "external entity", external },
    { "billion laughs", laughs },
    { "100,000 deep", deep },
  };
  guint64 rss_before = engine_peak_rss_kib (fixture);
  g_autoptr(GString) table = g_string_new ("");

  truncated = g_strndup (whole, strlen (whole) / 2);
  cases[0].xml = truncated;
  big = g_strnfill (100 * 1024 * 1024, ' ');
  memcpy (big, "<domain>", 8);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      g_assert_false (define (fixture, cases[i].xml, &path, &error));
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
      g_string_append_printf (table, "%-16s %s\n", cases[i].label, error->message);
    }
  /* 100 MiB: on a connection of its own, as the bus may end a connection that sends a
   * message that large. Refused either way, and the engine lives on. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GDBusConnection) own = NULL;
    g_autoptr(GVariant) reply = NULL;

    own = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
    g_assert_no_error (error);
    reply = g_dbus_connection_call_sync (own, "io.github.hangarvm.Hangar.Engine",
                                         "/io/github/hangarvm/Hangar/host",
                                         "io.github.hangarvm.Hangar.Host1", "DefineMachine",
                                         g_variant_new ("(s)", big), NULL,
                                         G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
    g_assert_null (reply);
    g_assert_nonnull (error);
    g_string_append_printf (table, "%-16s %s\n", "100 MiB", error->message);
    g_assert_cmpstr (hangar_dbus_host1_get_hostname (fixture->host), !=, "");
    {
      g_autofree char *path = NULL;
      g_autofree char *small = named_xml ("after-the-big-one");
      g_autoptr(GError) still = NULL;

      g_assert_true (define (fixture, small, &path, &still));
      g_assert_no_error (still);
    }
  }
  {
    g_autofree char *after = snapshot_files (fixture);
    guint64 rss_after = engine_peak_rss_kib (fixture);

    /* Only the one good definition came since. */
    g_assert_cmpuint (strlen (after), ==, strlen (before) + (*before ? 1 : 0) +
                      strlen ("/config/hangar/machines/") + 36 + strlen (".xml"));
    g_test_message ("\n%sengine peak RSS: %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT
                    " KiB after", table->str, rss_before, rss_after);
    /* The 100 MiB message itself must be received whole (GDBus reads a message at
     * once), then it is refused unparsed: no more than twice its size on top. */
    g_assert_cmpuint (rss_after, <, rss_before + 200 * 1024);
  }
}

/* Values out of range: refused before any process or file exists. */
static void
test_values (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct { const char *label; const char *from; const char *to; } cases[] = {
    { "memory 0", "<memory unit='MiB'>64</memory>", "<memory>0</memory>" },
    { "memory 2^64-1 KiB", "<memory unit='MiB'>64</memory>",
      "<memory unit='KiB'>18446744073709551615</memory>" },
    { "0 vCPUs", "<os>", "<vcpu>0</vcpu><os>" },
    { "1,000,000 vCPUs", "<os>", "<vcpu>1000000</vcpu><os>" },
    { "port 70000", "</os>", "</os><devices><graphics type='vnc' port='70000'/></devices>" },
  };
  g_autofree char *base = named_xml ("valued");
  g_autofree char *before = snapshot_files (fixture);
  g_autoptr(GString) table = g_string_new ("");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) parts = g_strsplit (base, cases[i].from, 2);
      g_autofree char *xml = g_strjoinv (cases[i].to, parts);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      g_assert_false (define (fixture, xml, &path, &error));
      g_assert_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_CONFIG);
      g_string_append_printf (table, "%-18s %s\n", cases[i].label, error->message);
    }

  /* A 1 EiB disk image. */
  {
    GVariantDict options;
    g_autoptr(GError) error = NULL;
    g_autofree char *job = NULL;
    g_autofree char *image = g_build_filename (fixture->data_dir, "huge.qcow2", NULL);

    g_variant_dict_init (&options, NULL);
    g_variant_dict_insert (&options, "path", "s", image);
    g_variant_dict_insert (&options, "format", "s", "qcow2");
    g_variant_dict_insert (&options, "size", "t", G_GUINT64_CONSTANT (1) << 60);
    g_assert_false (hangar_dbus_host1_call_create_volume_sync (fixture->host,
                                                               g_variant_dict_end (&options),
                                                               &job, NULL, &error));
    g_assert_nonnull (error);
    g_string_append_printf (table, "%-18s %s\n", "1 EiB disk", error->message);
    g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *after = snapshot_files (fixture);
    g_assert_cmpstr (after, ==, before);
  }
  g_test_message ("\n%s", table->str);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reliability/bad-input/names", Fixture, NULL, setup, test_names, teardown);
  g_test_add ("/reliability/bad-input/no-stray-files", Fixture, NULL, setup, test_no_stray_files,
              teardown);
  g_test_add ("/reliability/bad-input/definitions", Fixture, NULL, setup, test_definitions,
              teardown);
  g_test_add ("/reliability/bad-input/values", Fixture, NULL, setup, test_values, teardown);
  return g_test_run ();
}
