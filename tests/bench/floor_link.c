/* The first floor: start a process that loads jmap's libraries and does nothing. */
int main(void)
{
    return 0;
}
