/* hangar-renderer.c: how the window is drawn where there is no GPU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * GTK 4.8 draws with OpenGL wherever GL can be had, and without a GPU that GL is
 * Mesa's llvmpipe: the CPU rasterizes every frame. For a window of lists, graphs and
 * consoles that is the worst of both: measured here (tests/bench/perf, window), the
 * list with running machines costs 17.8 CPU s a minute under llvmpipe and 0.12 with
 * GTK's Cairo renderer, and a start takes ~290 ms and ~175 MiB against ~190 ms and
 * ~49 MiB with GL off. So where the machine has no GPU device, Hangar turns GL off
 * before GTK starts, unless the person chose a renderer or GDK debug flags themselves.
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include "hangar-renderer.h"

/* The device files through which any GPU driver is reached: a DRM render node
 * (Mesa's hardware drivers) or NVIDIA's own control device. */
gboolean
hangar_renderer_has_gpu (const char *dev_root)
{
  g_autofree char *dri = g_build_filename (dev_root, "dri", NULL);
  g_autofree char *nvidia = g_build_filename (dev_root, "nvidiactl", NULL);
  g_autoptr(GDir) dir = g_dir_open (dri, 0, NULL);
  const char *name;

  if (g_file_test (nvidia, G_FILE_TEST_EXISTS))
    return TRUE;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/**
 * hangar_renderer_prefer_software:
 *
 * Call before GTK is initialized. Without a GPU (and with no `GSK_RENDERER` or
 * `GDK_DEBUG` of the person's own), sets `GDK_DEBUG=gl-disable`, so that GTK never
 * opens GL, and `GSK_RENDERER=cairo`, so that it does not try its GL renderer first
 * (and say on stderr that it could not): GTK draws with Cairo, which repaints only
 * what changed.
 *
 * Returns: whether GL was turned off
 */
gboolean
hangar_renderer_prefer_software (void)
{
  if (g_getenv ("GSK_RENDERER") != NULL || g_getenv ("GDK_DEBUG") != NULL)
    return FALSE;
  if (hangar_renderer_has_gpu ("/dev"))
    return FALSE;
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  return TRUE;
}
