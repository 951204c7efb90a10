/* test-renderer.c: GL is turned off only where no GPU device exists
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "hangar-renderer.h"

static char *
make_dev (void)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("hangar-dev-XXXXXX", &error);

  g_assert_no_error (error);
  return root;
}

static void
touch (const char *root,
       const char *name)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

static void
remove_tree (const char *root)
{
  const char *names[] = { "dri/renderD128", "dri/card0", "dri", "nvidiactl", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (root, names[i], NULL);

      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (root), ==, 0);
}

static void
test_devices (void)
{
  g_autofree char *root = make_dev ();

  /* Nothing, or only a display controller (bochs-drm, a plain framebuffer): no GPU. */
  g_assert_false (hangar_renderer_has_gpu (root));
  touch (root, "dri/card0");
  g_assert_false (hangar_renderer_has_gpu (root));
  /* A render node: Mesa can draw on it. */
  touch (root, "dri/renderD128");
  g_assert_true (hangar_renderer_has_gpu (root));
  remove_tree (root);

  /* NVIDIA's driver has its own device. */
  root = (g_free (root), make_dev ());
  touch (root, "nvidiactl");
  g_assert_true (hangar_renderer_has_gpu (root));
  remove_tree (root);
}

/* A renderer or debug flags the person set are theirs: never overridden. */
static void
test_person_chose (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  g_assert_false (hangar_renderer_prefer_software ());
  g_assert_null (g_getenv ("GDK_DEBUG"));

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "events", TRUE);
  g_assert_false (hangar_renderer_prefer_software ());
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "events");

  /* Neither: this machine's own devices decide. */
  g_unsetenv ("GDK_DEBUG");
  g_assert_cmpint (hangar_renderer_prefer_software (), ==, !hangar_renderer_has_gpu ("/dev"));
  if (!hangar_renderer_has_gpu ("/dev"))
    {
      g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
    }
  else
    {
      g_assert_null (g_getenv ("GDK_DEBUG"));
      g_assert_null (g_getenv ("GSK_RENDERER"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hangar/renderer/devices", test_devices);
  g_test_add_func ("/hangar/renderer/person-chose", test_person_chose);
  return g_test_run ();
}
