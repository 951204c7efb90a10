/* test-golden.c: each definition in cases/ gives exactly the QEMU argv in its .args file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HANGAR_UPDATE_GOLDEN=1 rewrites the .args files from what the builder gives now
 * (review the change with git diff). The definitions in invalid/ must be refused
 * with the HangarError their `<!-- error: Name -->` comment names.
 */
#define G_LOG_DOMAIN "hangar-golden"

#include "config.h"

#include <string.h>

#include "golden-common.h"
#include "hangar-error.h"

static gboolean
update_requested (void)
{
  return g_strcmp0 (g_getenv ("HANGAR_UPDATE_GOLDEN"), "1") == 0;
}

static void
write_args (const char         *path,
            const char * const *argv)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; argv[i] != NULL; i++)
    {
      /* The format is one element a line: a line break inside one cannot be written. */
      g_assert_null (strchr (argv[i], '\n'));
      g_string_append_printf (text, "%s\n", argv[i]);
    }
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
}

static GStrv
read_args (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, &error))
    {
      g_test_message ("%s: %s (HANGAR_UPDATE_GOLDEN=1 writes it)", path, error->message);
      return NULL;
    }
  if (length > 0 && text[length - 1] == '\n')
    text[length - 1] = '\0';
  return length > 0 ? g_strsplit (text, "\n", -1) : g_new0 (char *, 1);
}

static void
test_argv (gconstpointer data)
{
  g_autoptr(GoldenCase) golden = golden_case_load ("cases", data);
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime_dir = NULL;
  g_autofree char *diff = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) expected = NULL;

  domain = hangar_domain_parse (golden->xml, golden->xml_length, &error);
  g_assert_no_error (error);
  runtime_dir = golden_runtime_dir (hangar_domain_get_uuid (domain));
  argv = golden_build_argv (domain, golden->accel, runtime_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, GOLDEN_QEMU_BINARY);

  if (update_requested ())
    {
      write_args (golden->args_path, (const char * const *) argv);
      g_test_message ("rewrote %s", golden->args_path);
      return;
    }

  expected = read_args (golden->args_path);
  if (expected == NULL)
    {
      g_test_fail ();
      return;
    }
  if (!golden_lines_equal ((const char * const *) expected, (const char * const *) argv,
                           golden->args_path, "built", &diff))
    {
      /* As TAP comments, so `meson test` shows the diff in the log. */
      golden_log_lines ("", diff);
      g_test_fail_printf ("%s: the argv differs from %s.args (diff above; "
                          "HANGAR_UPDATE_GOLDEN=1 rewrites it)", golden->name, golden->name);
    }
}

static void
test_invalid (gconstpointer data)
{
  g_autoptr(GoldenCase) golden = golden_case_load ("invalid", data);
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_code = golden_case_setting (golden->xml, "error");
  g_autofree char *expected_message = golden_case_setting (golden->xml, "message");

  if (expected_code == NULL)
    {
      g_test_fail_printf ("%s has no <!-- error: Name --> comment", golden->xml_path);
      return;
    }

  domain = hangar_domain_parse (golden->xml, golden->xml_length, &error);
  if (domain != NULL)
    {
      /* Refusing a definition at argv time is refusing it too. */
      g_autofree char *runtime_dir = golden_runtime_dir (hangar_domain_get_uuid (domain));
      g_auto(GStrv) argv = golden_build_argv (domain, golden->accel, runtime_dir, &error);

      if (argv != NULL)
        {
          g_test_fail_printf ("%s was accepted; expected the error %s", golden->name,
                              expected_code);
          return;
        }
    }
  g_assert_nonnull (error);
  g_test_message ("%s: %s", golden->name, error->message);
  g_assert_true (error->domain == HANGAR_ERROR);
  g_assert_cmpstr (hangar_error_to_name (error->code), ==, expected_code);
  if (expected_message != NULL && strstr (error->message, expected_message) == NULL)
    g_test_fail_printf ("the message “%s” does not contain “%s”", error->message,
                        expected_message);
}

/* The diff itself is code: check it on a known pair. */
static void
test_diff (void)
{
  const char *a[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", NULL };
  const char *b[] = { "1", "2", "3", "4", "five", "6", "7", "8", "9", "10", "11", "12", "13",
                      NULL };
  g_autofree char *diff = NULL;

  g_assert_true (golden_lines_equal (a, a, "a", "a", &diff));
  g_assert_null (diff);
  g_assert_false (golden_lines_equal (a, b, "a", "b", &diff));
  g_assert_cmpstr (diff, ==,
                   "--- a\n+++ b\n"
                   "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
                   "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/golden/diff", test_diff);
  golden_add_case_tests ("cases", "/hangar/golden/argv", test_argv);
  golden_add_case_tests ("invalid", "/hangar/golden/invalid", test_invalid);

  return g_test_run ();
}
