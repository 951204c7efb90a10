/* hangar-test-loop.c: a loop device standing in for a host CD/DVD drive
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * No machine the tests run on has an optical drive. A read-only loop device over an
 * ISO image is the nearest thing: a block device that holds a disc. Making one needs
 * root (CI runs the tests as root) and a kernel with loop devices; where either is
 * missing, the caller skips with the reason this gives.
 */
#include "config.h"

#include <gio/gio.h>
#include <unistd.h>

#include "hangar-test-loop.h"

/**
 * hangar_test_loop_attach:
 * @file: an image file
 *
 * Returns: (transfer full) (nullable): a free loop device (/dev/loopN) showing @file
 *   read only, or %NULL with @error saying why there is none
 */
char *
hangar_test_loop_attach (const char  *file,
                         GError     **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "losetup", "--find", "--show", "--read-only", file, NULL };

  if (geteuid () != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "making a loop device needs root, and the tests run as uid %u", getuid ());
      return NULL;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, error))
    return NULL;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "losetup could not make a loop device: %s",
                   err ? g_strstrip (err) : "");
      return NULL;
    }
  return g_strdup (g_strstrip (out));
}

/* Detaches @device, made by hangar_test_loop_attach(). */
void
hangar_test_loop_detach (const char *device)
{
  const char *argv[] = { "losetup", "--detach", device, NULL };
  g_autofree char *err = NULL;
  int status = 0;

  if (device == NULL)
    return;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    g_printerr ("# losetup --detach %s failed: %s\n", device, err ? err : "");
}
