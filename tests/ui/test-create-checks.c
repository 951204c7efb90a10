/* test-create-checks.c: what the create-VM wizard says of a person's choices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "hangar-create-checks.h"

#define GIB_KIB (G_GUINT64_CONSTANT (1024) * 1024)

static void
test_memory (void)
{
  g_autofree char *message = NULL;

  /* A 16 GiB host: 12 GiB is fine, 13 GiB warns (above 80 %), 17 GiB is refused. */
  g_assert_cmpint (hangar_create_check_memory (12 * 1024, 16 * GIB_KIB, &message), ==,
                   HANGAR_CHECK_OK);
  g_assert_null (message);

  g_assert_cmpint (hangar_create_check_memory (13 * 1024, 16 * GIB_KIB, &message), ==,
                   HANGAR_CHECK_WARNING);
  g_assert_nonnull (strstr (message, "80 %"));
  g_assert_nonnull (strstr (message, "16 GiB"));
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (hangar_create_check_memory (16 * 1024, 16 * GIB_KIB, NULL), ==,
                   HANGAR_CHECK_WARNING);
  g_assert_cmpint (hangar_create_check_memory (17 * 1024, 16 * GIB_KIB, &message), ==,
                   HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "This host has only 16 GiB of memory. Choose less.");
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (hangar_create_check_memory (0, 16 * GIB_KIB, &message), ==,
                   HANGAR_CHECK_ERROR);
  g_clear_pointer (&message, g_free);

  /* A host that did not say how much it has: no bound. */
  g_assert_cmpint (hangar_create_check_memory (1 << 20, 0, NULL), ==, HANGAR_CHECK_OK);
}

static void
test_vcpus (void)
{
  g_autofree char *message = NULL;

  g_assert_cmpint (hangar_create_check_vcpus (2, 2, NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_vcpus (3, 2, &message), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "This host has only 2 processors. Choose fewer.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_vcpus (2, 1, &message), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "This host has only 1 processor. Choose fewer.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_vcpus (0, 2, NULL), ==, HANGAR_CHECK_ERROR);
}

static void
test_path (void)
{
  g_autofree char *message = NULL;

  g_assert_cmpint (hangar_create_check_path ("/srv/iso/debian.iso", "The ISO image", &message),
                   ==, HANGAR_CHECK_OK);
  g_assert_null (message);
  g_assert_cmpint (hangar_create_check_path ("", "The ISO image", &message), ==,
                   HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "The ISO image is not chosen yet.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_path ("debian.iso", "The ISO image", &message), ==,
                   HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "“debian.iso” is not a full path: it must start with “/”.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_path ("/a\nb", "The image", NULL), ==, HANGAR_CHECK_ERROR);
  /* Odd but legal file names are the engine's to judge, not refused here. */
  g_assert_cmpint (hangar_create_check_path ("/tmp/a,file=/etc/passwd", "The image", NULL), ==,
                   HANGAR_CHECK_OK);
}

static void
test_url (void)
{
  g_autofree char *message = NULL;

  g_assert_cmpint (hangar_create_check_url ("http://deb.debian.org/debian/dists/bookworm/main/"
                                            "installer-amd64/", NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_url ("https://127.0.0.1:8080/tree", NULL), ==,
                   HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_url ("ftp://mirror/tree", NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_url ("", &message), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "Enter the install tree’s URL.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_url ("file:///srv/tree", &message), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "“file:///srv/tree” is not an http://, https:// or ftp:// address.");
  g_clear_pointer (&message, g_free);
  g_assert_cmpint (hangar_create_check_url ("deb.debian.org/debian", NULL), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpint (hangar_create_check_url ("http://", NULL), ==, HANGAR_CHECK_ERROR);
}

static void
test_disk_size (void)
{
  g_autofree char *message = NULL;

  g_assert_cmpint (hangar_create_check_disk_size (20, NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_disk_size (0.1, NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_disk_size (0, &message), ==, HANGAR_CHECK_ERROR);
  g_assert_cmpstr (message, ==, "A disk of 0 GiB holds nothing. Choose a size, or no disk.");
  g_clear_pointer (&message, g_free);
  /* 10 TiB is a thin qcow2 and allowed here; the engine judges free space. */
  g_assert_cmpint (hangar_create_check_disk_size (10 * 1024, NULL), ==, HANGAR_CHECK_OK);
  g_assert_cmpint (hangar_create_check_disk_size (65 * 1024, NULL), ==, HANGAR_CHECK_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hangar/ui/create-checks/memory", test_memory);
  g_test_add_func ("/hangar/ui/create-checks/vcpus", test_vcpus);
  g_test_add_func ("/hangar/ui/create-checks/path", test_path);
  g_test_add_func ("/hangar/ui/create-checks/url", test_url);
  g_test_add_func ("/hangar/ui/create-checks/disk-size", test_disk_size);

  return g_test_run ();
}
