/* test-consoles.c: the console module is found, or its absence said plainly
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hangar-console-error.h"
#include "hangar-consoles.h"

/* Missing, then the wrong file, then the module itself (HANGAR_CONSOLE_MODULE from
 * the test's environment): one process, since a module once loaded stays. */
static void
test_load (void)
{
  g_autofree char *module = g_strdup (g_getenv ("HANGAR_CONSOLE_MODULE"));
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (module);

  g_setenv ("HANGAR_CONSOLE_MODULE", "/nonexistent/hangar-console.so", TRUE);
  g_assert_false (hangar_consoles_load (&error));
  g_assert_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_NOT_INSTALLED);
  g_test_message ("missing: %s", error->message);
  g_assert_nonnull (strstr (error->message, "/nonexistent/hangar-console.so"));
  g_assert_nonnull (strstr (error->message, "Reinstall Hangar"));
  g_clear_error (&error);

  /* A shared object without the entry point. */
  g_assert_null (hangar_consoles_new ("vnc", NULL, NULL, NULL, &error));
  g_clear_error (&error);
  g_setenv ("HANGAR_CONSOLE_MODULE", "libm.so.6", TRUE);
  g_assert_false (hangar_consoles_load (&error));
  g_assert_error (error, HANGAR_CONSOLE_ERROR, HANGAR_CONSOLE_ERROR_NOT_INSTALLED);
  g_test_message ("not the module: %s", error->message);
  g_assert_nonnull (strstr (error->message, "is not the console module"));
  g_clear_error (&error);
  g_assert_false (hangar_consoles_is_serial (NULL));

  g_setenv ("HANGAR_CONSOLE_MODULE", module, TRUE);
  g_assert_true (hangar_consoles_load (&error));
  g_assert_no_error (error);
  /* Loaded once: later calls do not look again. */
  g_setenv ("HANGAR_CONSOLE_MODULE", "/nonexistent/hangar-console.so", TRUE);
  g_assert_true (hangar_consoles_load (&error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hangar/consoles/load", test_load);
  return g_test_run ();
}
